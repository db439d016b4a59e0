import { css, html, nothing } from 'lit';
import type { PropertyDeclarations, TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { IMAGE_PROTOCOLS, safeUrl } from '../shared/lists.js';
import { toApiError } from '../client/api-client.js';
import { ConsoleElement } from './console-element.js';
import { screenStyles } from './console.styles.js';
import './civic-console-lists.strings.js';
import type { ListsStrings } from './civic-console-lists.strings.js';
import { listsApi, type AdminList, type ListItem, type ListKind } from './lists.api.js';
import { loadWidgets } from './preview-widgets.js';

type Key = keyof ListsStrings;
type Field = 'text' | 'href' | 'group' | 'image' | 'alt';

/** An item being edited: `key` tells it apart on this page (new items have no `id` yet). */
interface DraftItem extends ListItem {
  key: string;
}

interface Draft {
  title: string;
  items: DraftItem[];
}

/** A list of the site, as last saved. */
interface Saved {
  kind: ListKind;
  list: AdminList;
}

/** The admin API's limit of items a list. */
const MAX_ITEMS = 100;
/** Relative links and images are checked as the server checks them. */
const CHECK_BASE = 'https://civic-widgets.invalid/';
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const VARIANTS = [
  ['list', 'variantList'],
  ['select', 'variantSelect'],
  ['banners', 'variantBanners'],
] as const satisfies readonly (readonly [string, Key])[];
type Variant = (typeof VARIANTS)[number][0];

const FIELDS: Record<ListKind, Field[]> = {
  slogans: ['text', 'href'],
  links: ['text', 'href', 'group', 'image', 'alt'],
};
const FIELD_LABEL: Record<ListKind, Record<Field, Key>> = {
  slogans: {
    text: 'sloganText',
    href: 'sloganHref',
    group: 'linkGroup',
    image: 'linkImage',
    alt: 'linkAlt',
  },
  links: {
    text: 'linkText',
    href: 'linkHref',
    group: 'linkGroup',
    image: 'linkImage',
    alt: 'linkAlt',
  },
};

const keyOf = (kind: ListKind, id: string) => `${kind}/${id}`;
let nextKey = 0;
const draftItem = (item: ListItem): DraftItem => ({ ...item, key: `i${++nextKey}` });
const draftOf = (list: AdminList): Draft => ({
  title: list.title,
  items: list.items.map(draftItem),
});

/** The item as the API takes it: trimmed, without empty optional fields. */
function toItem(kind: ListKind, { id, ...item }: DraftItem): ListItem {
  const out: ListItem = { ...(id && { id }), text: item.text.trim() };
  for (const field of FIELDS[kind].slice(1) as Exclude<Field, 'text'>[]) {
    const value = item[field]?.trim();
    if (value) out[field] = value;
  }
  return out;
}

/**
 * @summary The slogan lists (`<civic-marquee source>`) and link lists (`<civic-link-list
 * source>`) of a site: edit, add, remove, reorder, save, with a live preview in the real widget.
 * @tag civic-console-lists
 *
 * Items move with "up" / "down" buttons that keep the focus on the moved item. Everything is
 * checked here before it is sent (text required, links and images only with the protocols the
 * server accepts); a refusal of the server is shown under the field it names. A save is
 * conditional on the list's version, so two editors never overwrite each other (409: reload).
 * Each list keeps its unsaved edits while another is shown. The preview is the widget the sites
 * load (`widgets`, the server's `civic.iife.js`), fed the edited items as its light-DOM content,
 * so it shows them before they are saved.
 */
export class CivicConsoleLists extends ConsoleElement<ListsStrings> {
  static override styles = [
    ConsoleElement.styles,
    screenStyles,
    css`
      fieldset {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: var(--_space-m) var(--_space-l);
        margin: 0;
        display: grid;
        gap: var(--_space-m);
        grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
      }
      legend {
        font-weight: 700;
        padding: 0 var(--_space-s);
      }
      fieldset .row {
        grid-column: 1 / -1;
      }
      input:not([type='radio'], [type='checkbox']),
      select {
        width: 100%;
        box-sizing: border-box;
      }
      .field p.error:empty {
        display: none;
      }
      .preview {
        border: 1px dashed var(--_border);
        border-radius: var(--_radius);
        padding: var(--_space-m);
        min-height: 3rem;
      }
      code {
        overflow-wrap: anywhere;
      }
      .actions {
        position: sticky;
        bottom: 0;
        background: var(--_surface);
        padding: var(--_space-s) 0;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    widgets: {},
    lists: { state: true },
    current: { state: true },
    drafts: { state: true },
    errors: { state: true },
    saving: { state: true },
    saveError: { state: true },
    conflict: { state: true },
    variant: { state: true },
    previewError: { state: true },
    creating: { state: true },
    createErrors: { state: true },
  };

  /** Where the built widgets are (`civic.iife.js` on this server): the preview runs them. */
  widgets = '/civic.iife.js';

  private lists: Saved[] = [];
  /** `kind/id` of the list shown. */
  private current = '';
  /** Unsaved edits, by `kind/id`. */
  private drafts = new Map<string, Draft>();
  /** Field errors of the list shown, by `itemKey.field` (or `title`). */
  private errors = new Map<string, string>();
  private saving = false;
  private saveError = '';
  private conflict = false;
  private variant?: Variant;
  private previewError = '';
  private creating = false;
  private createErrors = new Map<string, string>();
  private readonly loads = this.loader({
    request: (signal) => {
      const site = this.site;
      if (!site) return undefined;
      return Promise.all(
        (['slogans', 'links'] as const).map((kind) => listsApi.lists(site, kind, signal)),
      );
    },
    apply: ([slogans, links]) => {
      this.lists = [
        ...slogans!.map((list) => ({ kind: 'slogans' as const, list })),
        ...links!.map((list) => ({ kind: 'links' as const, list })),
      ];
      this.drafts = new Map();
      this.errors = new Map();
      this.saveError = '';
      this.conflict = false;
      const keys = this.lists.map((s) => keyOf(s.kind, s.list.id));
      if (!keys.includes(this.current)) this.current = keys[0] ?? '';
    },
  });

  override connectedCallback(): void {
    super.connectedCallback();
    loadWidgets(this.widgets).catch(() => (this.previewError = 'previewUnavailable'));
  }

  /** Loads every slogan and link list of the site; keeps the one shown if it is still there. */
  load(): Promise<void> {
    return this.loads.load();
  }

  private get saved(): Saved | undefined {
    return this.lists.find((s) => keyOf(s.kind, s.list.id) === this.current);
  }

  /** The list shown, as edited. */
  private get draft(): Draft | undefined {
    const saved = this.saved;
    if (!saved) return undefined;
    let draft = this.drafts.get(this.current);
    if (!draft) {
      draft = draftOf(saved.list);
      this.drafts.set(this.current, draft);
    }
    return draft;
  }

  private get dirty(): boolean {
    const saved = this.saved;
    const draft = this.drafts.get(this.current);
    if (!saved || !draft) return false;
    const { kind, list } = saved;
    return (
      draft.title.trim() !== list.title ||
      JSON.stringify(draft.items.map((i) => toItem(kind, i))) !==
        JSON.stringify(list.items.map((i) => toItem(kind, draftItem(i))))
    );
  }

  private edit(change: (draft: Draft) => Draft): void {
    const drafts = new Map(this.drafts);
    drafts.set(this.current, change(this.draft!));
    this.drafts = drafts;
    this.saveError = '';
  }

  private setField(item: DraftItem, field: Field, value: string): void {
    this.edit((d) => ({
      ...d,
      items: d.items.map((i) => (i.key === item.key ? { ...i, [field]: value } : i)),
    }));
    if (this.errors.has(`${item.key}.${field}`)) {
      const errors = new Map(this.errors);
      errors.delete(`${item.key}.${field}`);
      this.errors = errors;
    }
  }

  private move(index: number, by: -1 | 1): void {
    const items = [...this.draft!.items];
    const to = index + by;
    if (to < 0 || to >= items.length) return;
    const [item] = items.splice(index, 1);
    items.splice(to, 0, item!);
    this.edit((d) => ({ ...d, items }));
    this.announce(
      this.t('itemMoved', { text: item!.text || this.t('itemN', { n: to + 1 }), n: to + 1 }),
    );
    void this.focusOn(`#${by < 0 ? 'up' : 'down'}-${item!.key}`);
  }

  private removeItem(index: number): void {
    const items = [...this.draft!.items];
    const [item] = items.splice(index, 1);
    this.edit((d) => ({ ...d, items }));
    this.announce(this.t('itemRemoved', { text: item!.text || this.t('itemN', { n: index + 1 }) }));
    const next = items[index] ?? items[index - 1];
    void this.focusOn(next ? `#text-${next.key}` : '#add');
  }

  private add(): void {
    if (this.draft!.items.length >= MAX_ITEMS) return;
    const item = draftItem({ text: '' });
    this.edit((d) => ({ ...d, items: [...d.items, item] }));
    void this.focusOn(`#text-${item.key}`);
  }

  private discard(): void {
    const drafts = new Map(this.drafts);
    drafts.delete(this.current);
    this.drafts = drafts;
    this.errors = new Map();
    this.saveError = '';
    this.announce(this.t('changesDiscarded'));
  }

  /** The errors of the list shown, checked as the server will; empty when it may be sent. */
  private check(kind: ListKind, draft: Draft): Map<string, string> {
    const errors = new Map<string, string>();
    draft.items.forEach((item) => {
      const at = (field: Field, key: Key) => errors.set(`${item.key}.${field}`, this.t(key));
      if (!item.text.trim()) at('text', kind === 'links' ? 'linkTextRequired' : 'sloganRequired');
      const href = item.href?.trim();
      if (!href && kind === 'links') at('href', 'hrefRequired');
      else if (href && !safeUrl(href, CHECK_BASE)) at('href', 'hrefInvalid');
      const image = item.image?.trim();
      if (image && !safeUrl(image, CHECK_BASE, IMAGE_PROTOCOLS)) at('image', 'imageInvalid');
    });
    return errors;
  }

  private async save(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const saved = this.saved;
    const draft = this.draft;
    if (!saved || !draft || this.saving) return;
    const { kind, list } = saved;
    this.errors = this.check(kind, draft);
    this.conflict = false;
    if (this.errors.size) {
      this.saveError = this.t('fixErrors', { count: this.errors.size });
      const [first] = this.errors.keys();
      const [key, field] = first!.split('.');
      void this.focusOn(`#${field}-${key}`);
      return;
    }
    this.saving = true;
    this.saveError = '';
    const site = this.site!;
    try {
      const fresh = await listsApi.save(site, kind, list.id, {
        title: draft.title.trim(),
        items: draft.items.map((i) => toItem(kind, i)),
        version: list.version,
      });
      if (site !== this.site) return;
      this.lists = this.lists.map((s) => (s.list === list ? { kind, list: fresh } : s));
      const drafts = new Map(this.drafts);
      drafts.delete(keyOf(kind, list.id));
      this.drafts = drafts;
      this.announce(this.t('listSaved', { title: fresh.title || fresh.id }));
    } catch (err) {
      this.refused(err, draft);
    } finally {
      this.saving = false;
    }
  }

  /** A refused save: the field the server names, a conflict, or the message. */
  private refused(e: unknown, draft: Draft): void {
    const err = toApiError(e);
    this.conflict = err.status === 409;
    this.saveError = this.conflict ? this.t('listConflict') : this.messageFor(err);
    const named = /^Invalid field "items\.(\d+)\.(text|href|image|group|alt)"/.exec(err.message);
    const item = named && draft.items[Number(named[1])];
    if (item) {
      const field = named[2] as Field;
      const key: Key =
        field === 'href' ? 'hrefInvalid' : field === 'image' ? 'imageInvalid' : 'fieldInvalid';
      this.errors = new Map([[`${item.key}.${field}`, this.t(key)]]);
      void this.focusOn(`#${field}-${item.key}`);
    }
    this.announce(this.saveError);
  }

  private handleList(e: Event): void {
    this.current = (e.target as HTMLSelectElement).value;
    this.errors = new Map();
    this.saveError = '';
    this.conflict = false;
    this.variant = undefined;
  }

  private async handleCreate(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const value = (name: string) =>
      (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value.trim();
    const kind = value('new-kind') as ListKind;
    const id = value('new-id');
    const title = value('new-title');
    const errors = new Map<string, string>();
    if (!SLUG.test(id)) errors.set('id', this.t(id ? 'listIdInvalid' : 'listIdRequired'));
    this.createErrors = errors;
    if (errors.size) {
      void this.focusOn('#new-id');
      return;
    }
    try {
      const list = await listsApi.create(this.site!, kind, { id, title, items: [] });
      this.lists = [...this.lists, { kind, list }];
      this.current = keyOf(kind, list.id);
      this.creating = false;
      this.announce(this.t('listCreated', { title: list.title || list.id }));
      void this.focusOn('#list');
    } catch (err) {
      const status = toApiError(err).status;
      this.createErrors = new Map([
        ['id', status === 409 ? this.t('listExists') : this.messageFor(err)],
      ]);
      void this.focusOn('#new-id');
    }
  }

  render(): TemplateResult {
    const state = this.renderLoadState(this.loads, this.lists.length > 0);
    if (state) return state;
    const saved = this.saved;
    return html`<p class="muted">${this.t('listsIntro')}</p>
      ${this.lists.length ? this.renderPicker() : html`<p>${this.t('noLists')}</p>`}
      ${this.renderCreate()}
      ${saved ? this.renderEditor(saved, this.draft!) : nothing}
      ${saved ? this.renderPreview(saved.kind, saved.list.id, this.draft!) : nothing}`;
  }

  private renderPicker(): TemplateResult {
    const group = (kind: ListKind, label: Key) => {
      const lists = this.lists.filter((s) => s.kind === kind);
      return lists.length
        ? html`<optgroup label=${this.t(label)}>
            ${lists.map(
              ({ list }) =>
                html`<option
                  value=${keyOf(kind, list.id)}
                  ?selected=${keyOf(kind, list.id) === this.current}
                >
                  ${list.title || list.id} (${list.id})
                </option>`,
            )}
          </optgroup>`
        : nothing;
    };
    return html`<div class="field">
      <label for="list">${this.t('listPicker')}</label>
      <select id="list" @change=${this.handleList}>
        ${group('slogans', 'kindSlogans')} ${group('links', 'kindLinks')}
      </select>
    </div>`;
  }

  private renderCreate(): TemplateResult {
    if (!this.creating) {
      return html`<p>
        <button type="button" @click=${() => ((this.creating = true), this.focusOn('#new-kind'))}>
          ${this.t('newList')}
        </button>
      </p>`;
    }
    const idError = this.createErrors.get('id') ?? '';
    return html`<form class="panel" novalidate @submit=${this.handleCreate}>
      <h2>${this.t('newList')}</h2>
      <div class="row">
        <div class="field">
          <label for="new-kind">${this.t('listKind')}</label>
          <select id="new-kind" name="new-kind">
            <option value="slogans">${this.t('kindSlogans')}</option>
            <option value="links">${this.t('kindLinks')}</option>
          </select>
        </div>
        <div class="field">
          <label for="new-id">${this.t('listId')}</label>
          <input
            id="new-id"
            name="new-id"
            spellcheck="false"
            autocomplete="off"
            aria-invalid=${idError ? 'true' : 'false'}
            aria-describedby="new-id-hint new-id-error"
          />
          <p class="muted" id="new-id-hint">${this.t('listIdHint')}</p>
          <p class="error" id="new-id-error">${idError}</p>
        </div>
        <div class="field">
          <label for="new-title">${this.t('listTitle')}</label>
          <input id="new-title" name="new-title" maxlength="200" />
        </div>
      </div>
      <div class="row">
        <button class="primary" type="submit">${this.t('createList')}</button>
        <button type="button" @click=${() => ((this.creating = false), (this.createErrors = new Map()))}>
          ${this.t('cancel')}
        </button>
      </div>
    </form>`;
  }

  private renderEditor({ kind, list }: Saved, draft: Draft): TemplateResult {
    const full = draft.items.length >= MAX_ITEMS;
    return html`<form class="panel" novalidate @submit=${this.save} aria-labelledby="editor-heading">
      <h2 id="editor-heading">${this.t(kind === 'slogans' ? 'editSlogans' : 'editLinks')}</h2>
      <div class="field">
        <label for="title">${this.t('listTitle')}</label>
        <input
          id="title"
          maxlength="200"
          .value=${draft.title}
          @input=${(e: InputEvent) =>
            this.edit((d) => ({ ...d, title: (e.target as HTMLInputElement).value }))}
        />
      </div>
      ${
        draft.items.length
          ? html`<ol class="items cards">
              ${repeat(
                draft.items,
                (item) => item.key,
                (item, i) => this.renderItem(kind, item, i, draft.items.length),
              )}
            </ol>`
          : html`<p>${this.t('noItems')}</p>`
      }
      <p>
        <button
          id="add"
          type="button"
          aria-disabled=${full ? 'true' : 'false'}
          aria-describedby=${full ? 'full' : nothing}
          @click=${this.add}
        >
          ${this.t(kind === 'slogans' ? 'addSlogan' : 'addLink')}
        </button>
        ${full ? html`<span id="full" class="muted">${this.t('listFull', { max: MAX_ITEMS })}</span>` : nothing}
      </p>
      <div class="actions row">
        <button class="primary" type="submit" aria-disabled=${this.saving ? 'true' : 'false'}>
          ${this.t(this.saving ? 'saving' : 'saveList')}
        </button>
        <button type="button" ?disabled=${!this.dirty} @click=${this.discard}>
          ${this.t('discardChanges')}
        </button>
        <span class="muted">${this.dirty ? this.t('unsaved') : this.t('savedAt', { time: this.localize.date(list.updatedAt, { dateStyle: 'short', timeStyle: 'short' }) })}</span>
      </div>
      ${this.renderAlert(
        this.saveError,
        this.conflict
          ? html`<p><button type="button" @click=${() => this.load()}>${this.t('reloadList')}</button></p>`
          : nothing,
      )}
    </form>`;
  }

  private renderItem(kind: ListKind, item: DraftItem, i: number, count: number): TemplateResult {
    const n = i + 1;
    const name = item.text.trim() || this.t('itemN', { n });
    return html`<li>
      <fieldset>
        <legend>${this.t('itemN', { n })}</legend>
        ${FIELDS[kind].map((field) => this.renderField(kind, item, field))}
        <div class="row">
          <button
            id=${`up-${item.key}`}
            type="button"
            aria-label=${this.t('moveUp', { text: name })}
            aria-disabled=${i === 0 ? 'true' : 'false'}
            @click=${() => this.move(i, -1)}
          >
            ↑ ${this.t('up')}
          </button>
          <button
            id=${`down-${item.key}`}
            type="button"
            aria-label=${this.t('moveDown', { text: name })}
            aria-disabled=${i === count - 1 ? 'true' : 'false'}
            @click=${() => this.move(i, 1)}
          >
            ↓ ${this.t('down')}
          </button>
          <button
            type="button"
            aria-label=${this.t('removeItem', { text: name })}
            @click=${() => this.removeItem(i)}
          >
            ${this.t('remove')}
          </button>
        </div>
      </fieldset>
    </li>`;
  }

  private renderField(kind: ListKind, item: DraftItem, field: Field): TemplateResult {
    const id = `${field}-${item.key}`;
    const error = this.errors.get(`${item.key}.${field}`) ?? '';
    const required = field === 'text' || (field === 'href' && kind === 'links');
    const url = field === 'href' || field === 'image';
    return html`<div class="field">
      <label for=${id}
        >${this.t(FIELD_LABEL[kind][field])}${
          required ? nothing : html` <span class="muted">(${this.t('optional')})</span>`
        }</label
      >
      <input
        id=${id}
        type="text"
        inputmode=${url ? 'url' : nothing}
        spellcheck=${url ? 'false' : nothing}
        maxlength=${url ? 2048 : field === 'text' ? (kind === 'slogans' ? 500 : 300) : 300}
        aria-required=${required ? 'true' : 'false'}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${`${id}-error`}
        .value=${item[field] ?? ''}
        @input=${(e: InputEvent) => this.setField(item, field, (e.target as HTMLInputElement).value)}
      />
      <p class="error" id=${`${id}-error`}>${error}</p>
    </div>`;
  }

  private renderPreview(kind: ListKind, id: string, draft: Draft): TemplateResult {
    const ok = (href?: string) => {
      const h = href?.trim();
      return h && safeUrl(h, CHECK_BASE) ? h : undefined;
    };
    const items = draft.items.filter((i) => i.text.trim());
    const variant: Variant = this.variant ?? (items.some((i) => i.image) ? 'banners' : 'list');
    const tag =
      kind === 'slogans'
        ? `<civic-marquee source="${id}"></civic-marquee>`
        : `<civic-link-list source="${id}"${variant === 'list' ? '' : ` variant="${variant}"`}></civic-link-list>`;
    // The widget reads its items from this light DOM (progressive enhancement), and again on
    // every change: the preview follows each keystroke.
    const widget =
      kind === 'slogans'
        ? html`<civic-marquee
            ><ul>
              ${items.map((i) => {
                const href = ok(i.href);
                return html`<li>${href ? html`<a href=${href}>${i.text}</a>` : i.text}</li>`;
              })}
            </ul></civic-marquee
          >`
        : html`<civic-link-list variant=${variant}
            ><ul>
              ${items.map((i) => {
                const href = ok(i.href);
                const image = i.image?.trim();
                return href
                  ? html`<li data-group=${i.group?.trim() || nothing}>
                      <a href=${href}
                        >${
                          image &&
                          /^(https?:\/\/|\/)/i.test(image) &&
                          safeUrl(image, location.href, IMAGE_PROTOCOLS)
                            ? html`<img src=${image} alt=${i.alt?.trim() || i.text} />`
                            : nothing
                        }${i.text}</a
                      >
                    </li>`
                  : nothing;
              })}
            </ul></civic-link-list
          >`;
    return html`<section class="panel" aria-labelledby="preview-heading">
      <h2 id="preview-heading">${this.t('preview')}</h2>
      <p class="muted">${this.t('previewIntro')}</p>
      ${
        kind === 'links'
          ? html`<div class="field">
              <label for="variant">${this.t('previewVariant')}</label>
              <select
                id="variant"
                @change=${(e: Event) =>
                  (this.variant = (e.target as HTMLSelectElement).value as Variant)}
              >
                ${VARIANTS.map(
                  ([value, label]) =>
                    html`<option value=${value} ?selected=${value === variant}>
                      ${this.t(label)}
                    </option>`,
                )}
              </select>
            </div>`
          : nothing
      }
      ${this.previewError ? html`<p class="error">${this.t('previewUnavailable')}</p>` : nothing}
      <div class="preview">${items.length ? widget : html`<p class="muted">${this.t('previewEmpty')}</p>`}</div>
      <p>${this.t('embedTag')} <code>${tag}</code></p>
    </section>`;
  }
}

CivicConsoleLists.define('civic-console-lists');

declare global {
  interface HTMLElementTagNameMap {
    'civic-console-lists': CivicConsoleLists;
  }
}
