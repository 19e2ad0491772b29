// The renderer's Content-Security-Policy, sent as a response header by the app:// handler.
// connect-src names exactly the backend's origin; before the backend is up it allows nothing.

const LOOPBACK_ORIGIN = /^http:\/\/127\.0\.0\.1:\d{1,5}$/;

export function contentSecurityPolicy(apiOrigin: string | null): string {
  if (apiOrigin !== null && !LOOPBACK_ORIGIN.test(apiOrigin)) throw new Error(`apiOrigin: expected http://127.0.0.1:<port>, got ${JSON.stringify(apiOrigin)}`);
  return [
    "default-src 'none'",
    "script-src 'self'",
    // antd injects its CSS-in-JS as <style> elements; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${apiOrigin ?? "'none'"}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "worker-src 'none'",
  ].join('; ');
}
