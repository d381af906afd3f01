// The /api/health prober of the burst bench, in its own process: in the process that also
// fires 1,000 requests and takes in their answers, a probe's time would include that
// client's own event-loop stalls, and the bench would partly measure itself.
// argv: ORIGIN TOKEN. IPC: 'probe:stop' → { times: [{ at, ms }] }.
import { Agent, request } from 'node:http'

const [origin, token] = process.argv.slice(2)
const agent = new Agent({ keepAlive: true, maxSockets: 1 })

function health() {
  return new Promise((resolve, reject) => {
    const req = request(origin + '/api/health', { agent, headers: { authorization: `Bearer ${token}` } })
    req.on('response', (res) => {
      res.resume()
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`/api/health answered ${res.statusCode}`))))
    })
    req.on('error', reject)
    req.end()
  })
}

let stop = false
const times = []
process.on('message', (msg) => {
  if (msg === 'probe:stop') stop = true
})
await health()
process.send('probe:ready')
while (!stop) {
  const t = performance.now()
  await health()
  times.push({ at: Math.round(performance.timeOrigin + t), ms: performance.now() - t })
  await new Promise((r) => setTimeout(r, 10))
}
agent.destroy()
process.send({ times }, () => process.disconnect())
