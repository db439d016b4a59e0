/** Entry of the admin console (`vite build --mode console` → dist/console/, served at /admin/). */
import './civic-console.js';
