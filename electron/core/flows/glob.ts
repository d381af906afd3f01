// URL globs for `mfa.until.url`, `waitFor.url` and `expect.url`.

/**
 * `**` matches any characters, `*` any except `/`; everything else is literal (`?` included,
 * since it starts every query string). The whole URL must match. A glob that names no query or
 * fragment matches origin and path only: "**\/dashboard" holds on ".../dashboard?welcome=1",
 * and "**\/admin/" does not hold on "/admin/login/?next=/admin/" (a wildcard never reaches
 * into the query, which is where a login page names the page it will go back to).
 */
export function globToRegExp(glob: string): RegExp {
  const withQuery = /[?#]/.test(glob)
  const any = withQuery ? '.*' : '[^?#]*'
  const segment = withQuery ? '[^/]*' : '[^/?#]*'
  let body = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string
    if (c !== '*') {
      body += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
      continue
    }
    if (glob[i + 1] === '*') {
      body += any
      while (glob[i + 1] === '*') i++
    } else {
      body += segment
    }
  }
  const tail = withQuery ? '' : '(?:[?#].*)?'
  return new RegExp(`^${body}${tail}$`)
}

export function urlMatches(glob: string, url: string): boolean {
  return globToRegExp(glob).test(url)
}
