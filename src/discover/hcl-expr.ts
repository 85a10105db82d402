/** An HCL expression as this reader models it: what hcl.ts and hcl-fast.ts produce and hcl-eval.ts evaluates. */
export type HclExpr =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'template'; parts: Array<string | HclExpr> }
  | { kind: 'list'; items: HclExpr[] }
  | { kind: 'object'; entries: Array<[string, HclExpr]> }
  /** A traversal from a root name: `var.lambda.handler`, `module.x[0].arn`, `each.value`. */
  | { kind: 'ref'; path: string[] }
  /** A traversal from another expression: `(local.fns)[each.key].handler`. */
  | { kind: 'traverse'; source: HclExpr; path: string[] }
  | { kind: 'index'; collection: HclExpr; key: HclExpr }
  | { kind: 'splat'; source: HclExpr; path: string[] }
  | { kind: 'call'; name: string; args: HclExpr[]; expand: boolean }
  | { kind: 'cond'; test: HclExpr; then: HclExpr; else: HclExpr }
  | { kind: 'binary'; op: string; left: HclExpr; right: HclExpr }
  | { kind: 'unary'; op: string; operand: HclExpr }
  | {
      kind: 'for';
      keyVar: string | null;
      valVar: string;
      collection: HclExpr;
      key: HclExpr | null;
      value: HclExpr;
      cond: HclExpr | null;
      grouped: boolean;
    }
  /** What the AST names but this reader does not model; never evaluates to a value. */
  | { kind: 'raw'; text: string };
