// Framework's Markdown parser, used by tests/notebook to read pages as `observable build` does (Framework ships no types).
declare module "@observablehq/framework/dist/markdown.js" {
  /** A markdown-it instance with Framework's rules (fences become cells, `${…}` inline cells). */
  export function createMarkdownIt(options?: {
    markdownIt?: (md: any) => any;
    linkify?: boolean;
    typographer?: boolean;
    quotes?: string;
  }): any;

  export interface MarkdownCode {
    /** The cell id: the first 8 hex digits of the source's SHA-256, "-1", "-2", … for repeats. */
    id: string;
    /** Framework's parse of the cell; `input` is its source. */
    node: { input: string; expression: boolean; [key: string]: unknown };
    mode: "block" | "inline" | "jsx";
  }

  export interface MarkdownPage {
    title: string | null;
    data: Record<string, unknown>;
    body: string;
    code: MarkdownCode[];
    [key: string]: unknown;
  }

  /** Parses a page's Markdown (front matter included) and renders its body. */
  export function parseMarkdown(
    input: string,
    options: { md: any; path: string; source?: string; params?: Record<string, string> },
  ): MarkdownPage;
}
