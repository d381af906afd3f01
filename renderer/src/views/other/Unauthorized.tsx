// Shown instead of any data when the core refuses our token: the usual cause in host mode
// is opening the bare address instead of the URL with ?token= that `opdesk serve` printed.
export function Unauthorized() {
  return (
    <main className="boot" id="main">
      <div className="panel unauthorized" role="alert" data-testid="unauthorized">
        <h1>Unauthorized</h1>
        <p>This Opdesk session has no valid token, so no workspace data is shown.</p>
        <p>
          Open the full address that <code>opdesk serve</code> printed (it ends in <code>?token=…</code>), or restart it
          and use the new one.
        </p>
      </div>
    </main>
  )
}
