declare module "@observablehq/framework/dist/node.js" {
  /** Bundles a bare import from node_modules into `<root>/.observablehq/cache/_node/`; resolves to its `/_node/…` path. */
  export function resolveNodeImport(root: string, spec: string): Promise<string>;
}
