// A static, client-only app: every route is prerendered as an empty shell and runs in the browser.
export const prerender = true;
export const ssr = false;
export const trailingSlash = 'never';
