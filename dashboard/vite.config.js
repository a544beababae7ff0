import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by the API gateway at /ui/ (same origin as the Kubernetes API); `npm run dev` proxies the API to a running
// cluster: KRONIKA_API=http://127.0.0.1:6443 npm run dev
const api = process.env.KRONIKA_API || 'http://127.0.0.1:6443';
export default defineConfig({
  root: 'src/main/ui',
  base: '/ui/',
  plugins: [react()],
  build: { outDir: '../../../dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': api, '/apis': api, '/history': api, '/version': api } },
});
