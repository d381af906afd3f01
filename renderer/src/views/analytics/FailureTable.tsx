// Failures grouped by what they have in common (numbers, ids, URLs and quoted text taken
// out), most frequent first, each with a few runs to open.
import type { FailurePattern } from '@shared/api'
import { formatDate } from '../../lib/format'
import { href } from '../../lib/route'

export function FailureTable({ rows }: { rows: FailurePattern[] }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="failure-table-caption">
      <table className="data-table" data-testid="analytics-failures">
        <caption id="failure-table-caption">Failure patterns, most frequent first.</caption>
        <thead>
          <tr>
            <th scope="col">Signature</th>
            <th scope="col" className="num">
              Count
            </th>
            <th scope="col">Last seen</th>
            <th scope="col">Example runs</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((f) => (
            <tr key={f.signature} data-testid="failure-row">
              <td>
                <code className="signature">{f.signature}</code>
              </td>
              <td className="num">{f.count}</td>
              <td className="nowrap">{formatDate(f.lastSeen)}</td>
              <td>
                <ul className="inline-list">
                  {f.exampleRunIds.map((id) => (
                    <li key={id}>
                      <a href={href.run(id)} aria-label={`Open failed run ${id}`}>
                        {id}
                      </a>
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
