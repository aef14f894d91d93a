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
    body: string;
  }>;
  export default topics;
}
