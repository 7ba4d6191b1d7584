import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { isFinal, ServerUnreachable } from './api/client.ts';
import { App } from './components/App.tsx';
import './styles.css';

const client = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change by asking again, and an unreachable server is asked again by
      // useServerReachable, which refetches everything when it answers: only a 5xx is retried here.
      retry: (failures, e) => failures < 1 && !isFinal(e) && !(e instanceof ServerUnreachable),
      refetchOnWindowFocus: false,
    },
  },
});
const root = document.getElementById('root');
if (!root) throw new Error('no #root element');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={client}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
