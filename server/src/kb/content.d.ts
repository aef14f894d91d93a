// The KB topics, read from kb/*.md and bundled as data by scripts/build.mjs.
declare module 'kb-content' {
  const topics: Array<{
    id: string;
    title: string;
    summary: string;
    keywords: string[];
    cloudformation: string[];
    kubernetes: string[];
    properties: string[];
    related: string[];
    /** Official pages (https URLs) the topic rests on, shown at the end of its article. */
    sources: string[];
    /** When the topic was last checked against its sources (YYYY-MM-DD). */
    checked: string;
    body: string;
  }>;
  export default topics;
}

// Guides from docs/ (docs/suppressions.md), bundled by scripts/build.mjs: id -> Markdown.
declare module 'kb-guides' {
  const guides: Record<string, string>;
  export default guides;
}
