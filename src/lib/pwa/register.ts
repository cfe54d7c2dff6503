/**
 * Registers the service worker (generated at build by scripts/build-sw.ts, precaching the app shell,
 * the .wasm bundles and the demo) and tells the page when a new version waits.
 */
import { Workbox } from 'workbox-window';

export interface PwaEvents {
  onUpdateReady: (activate: () => void) => void;
  onOfflineReady: () => void;
}

export function registerServiceWorker(base: string, events: PwaEvents): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const wb = new Workbox(`${base}/sw.js`, { scope: `${base}/` });
  wb.addEventListener('waiting', () => {
    events.onUpdateReady(() => {
      wb.addEventListener('controlling', () => window.location.reload());
      wb.messageSkipWaiting();
    });
  });
  wb.addEventListener('installed', (event) => {
    if (!event.isUpdate) events.onOfflineReady();
  });
  wb.register().catch((e) => console.warn('service worker registration failed', e));
}
