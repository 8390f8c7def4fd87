// The renderer entry: mounts the Vue workbench with its Pinia stores.
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';

createApp(App).use(createPinia()).mount('#app');
