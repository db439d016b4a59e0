/**
 * wtr server command `aria-snapshot` ({ selector }): Playwright's ARIA snapshot (YAML) of the first
 * element matching `selector`, shadow roots included — what assistive technology is given, after
 * aria-hidden, inert, roles and names are applied. Chromium (Playwright) only; other launchers
 * get `false`, so tests can skip with a reason. (`a11ySnapshotPlugin` of @web/test-runner-commands
 * uses `page.accessibility`, which current Playwright no longer has.)
 */
export function ariaSnapshotPlugin() {
  return {
    name: 'aria-snapshot-command',
    async executeCommand({ command, payload, session }) {
      if (command !== 'aria-snapshot') return undefined;
      if (session.browser.type !== 'playwright') return false;
      const page = session.browser.getPage(session.id);
      return page.locator(payload.selector).first().ariaSnapshot();
    },
  };
}
