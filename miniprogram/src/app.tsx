import type { PropsWithChildren } from 'react';
import { installAbortController } from './lib/abort-controller';
import './app.css';

installAbortController();

function App({ children }: PropsWithChildren) {
  // children are the pages being rendered
  return children;
}

export default App;
