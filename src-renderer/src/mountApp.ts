import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { connect } from './lib/connection';

// The connection is chosen once, before anything renders: the token must leave the URL at once.
const connection = connect(window);

const target = document.getElementById('app');
if (!target) throw new Error('index.html lost its #app element');
mount(App, { target, props: { connection } });
