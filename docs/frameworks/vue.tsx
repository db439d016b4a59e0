/** @jsxImportSource vue */
// Vue 3: 'civic-widgets/vue' types the tags in templates (GlobalComponents, for vue-tsc / Volar)
// and in JSX/TSX (here). Tell Vue's compiler they are custom elements:
//   app.config.compilerOptions.isCustomElement = (tag) => tag.startsWith('civic-');
// (with Vite: vue({ template: { compilerOptions: { isCustomElement: … } } })).
// Listeners are `onCivicVote` for `civic-vote` (Vue hyphenates the name after `on`).
import type {} from 'civic-widgets/vue';
import { defineComponent, ref } from 'vue';

export default defineComponent({
  props: { site: { type: String, required: true } },
  setup(props) {
    const choices = ref<string[]>([]);
    const token = ref('');
    return () => (
      <aside>
        <civic-poll
          site={props.site}
          poll-id="budget-2026"
          onCivicVote={(e) => (choices.value = e.detail.choices)}
          onCivicError={(e) => console.warn(e.detail.code)}
        />
        <p>{choices.value.join(', ')}</p>
        <form method="post" action="/contact">
          <civic-captcha
            name="captcha"
            action="contact"
            required
            onCivicCaptchaVerify={(e) => (token.value = e.detail.token)}
          />
          <button disabled={!token.value}>Send</button>
        </form>
        <civic-visit-counter no-online heartbeat-interval={0} />
      </aside>
    );
  },
});
