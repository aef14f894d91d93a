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
