// The renderer entry: mounts the Vue workbench with its Pinia store and connects it to the contract.
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { connect } from './client.ts';
import { useWorkbench } from './stores/workbench.ts';

const app = createApp(App).use(createPinia());
const wb = useWorkbench();
wb.initTheme();
wb.attach(connect());
app.mount('#app');
