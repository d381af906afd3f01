// URL globs for `mfa.until.url`, `waitFor.url` and `expect.url`.

/**
 * `**` matches any characters, `*` any except `/`; everything else is literal (`?` included,
 * since it starts every query string). The whole URL must match. A glob that names no query or
 * fragment itself also matches with one appended, because "**\/dashboard" should hold on
 * ".../dashboard?welcome=1" as an operator would expect.
 */
export function globToRegExp(glob: string): RegExp {
  let body = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string
    if (c !== '*') {
      body += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
      continue
    }
    if (glob[i + 1] === '*') {
      body += '.*'
      while (glob[i + 1] === '*') i++
    } else {
      body += '[^/]*'
    }
  }
  const tail = /[?#]/.test(glob) ? '' : '(?:[?#].*)?'
  return new RegExp(`^${body}${tail}$`)
}

export function urlMatches(glob: string, url: string): boolean {
  return globToRegExp(glob).test(url)
}
