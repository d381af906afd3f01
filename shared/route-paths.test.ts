import { describe, expect, it } from 'vitest'
import { routes, type RouteName } from './api'
import { ROUTE_PATHS, routeOf } from './route-paths'

describe('the zod-free route table', () => {
  it('gives every route the method and path of the schema table', () => {
    for (const name of Object.keys(routes) as RouteName[]) {
      expect(routeOf(name), name).toEqual({ method: routes[name].method, path: routes[name].path })
    }
    expect(Object.keys(ROUTE_PATHS).sort()).toEqual(Object.keys(routes).sort())
  })
})
