/**
 * Route paths from express/koa/fastify (`/orders/:id`, `*`) and from API Gateway (`/orders/{id}`, `/{proxy+}`) to
 * axum 0.8's syntax (`/orders/{id}`, `/{*proxy}`). Anything that is not a plain segment or a named parameter (a
 * regular expression, an optional parameter) is matched as a parameter and reported, never copied into the path.
 */

export interface AxumPath {
  /** The axum path, built only from `[A-Za-z0-9._~-]`, `{name}` and `{*name}`. */
  path: string;
  /** Parameter names in order (without braces or `*`). */
  params: string[];
  /** `/orders/{}`: routes with the same shape must use the same parameter names in axum. */
  shape: string;
  notes: string[];
}

const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const EXPRESS_PARAM = new RegExp(`^:(${NAME})(\\?)?$`);
const GATEWAY_PARAM = new RegExp(`^\\{(${NAME})\\}$`);
const GATEWAY_GREEDY = new RegExp(`^\\{(${NAME})\\+\\}$`);
const LITERAL = /^[A-Za-z0-9._~-]+$/;

export function toAxumPath(declared: string): AxumPath {
  const notes: string[] = [];
  const params: string[] = [];
  const out: string[] = [];
  const shape: string[] = [];
  const uniqueParam = (name: string): string => {
    let n = name;
    for (let i = 2; params.includes(n); i++) n = `${name}_${i}`;
    params.push(n);
    return n;
  };
  const segments = declared.split('/').filter((s) => s !== '');
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] ?? '';
    const last = i === segments.length - 1;
    const express = EXPRESS_PARAM.exec(seg);
    const gateway = GATEWAY_PARAM.exec(seg);
    const greedy = GATEWAY_GREEDY.exec(seg);
    if (express?.[1] !== undefined) {
      if (express[2] === '?') notes.push(`optional parameter ${seg}: axum matches it as required; add a route without it if needed`);
      out.push(`{${uniqueParam(express[1])}}`);
      shape.push('{}');
    } else if (gateway?.[1] !== undefined) {
      out.push(`{${uniqueParam(gateway[1])}}`);
      shape.push('{}');
    } else if (greedy?.[1] !== undefined || seg === '*' || seg === '(.*)') {
      const name = uniqueParam(greedy?.[1] ?? 'rest');
      out.push(`{*${name}}`);
      shape.push('{*}');
      if (!last) notes.push(`wildcard ${seg} is not the last segment: the rest of the path is matched by it`);
      break;
    } else if (LITERAL.test(seg)) {
      out.push(seg);
      shape.push(seg);
    } else {
      const name = uniqueParam(`segment${i + 1}`);
      notes.push(`segment ${JSON.stringify(seg)} is a pattern, not a plain segment: matched as the parameter {${name}}`);
      out.push(`{${name}}`);
      shape.push('{}');
    }
  }
  return { path: `/${out.join('/')}`, params, shape: `/${shape.join('/')}`, notes };
}

/** A request path that matches an axum path: each parameter filled with its own name. */
export function samplePath(axum: string): string {
  return axum.replace(/\{\*?([A-Za-z_][A-Za-z0-9_]*)\}/g, '$1');
}
