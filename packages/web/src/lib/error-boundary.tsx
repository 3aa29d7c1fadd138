import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ErrorPanel } from './error-panel';

interface Props {
  children: ReactNode;
  /** A change of this value (the URL) clears a caught error, so navigating away recovers. */
  resetKey: string;
}

interface State {
  error: Error | null;
}

/** Catches a screen's rendering error and shows the error panel in place of a blank screen. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('screen failed', error, info.componentStack);
  }

  override componentDidUpdate(prev: Props): void {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (error) return <ErrorPanel error={{ code: 'unexpected', message: error.message }} onRetry={() => this.setState({ error: null })} />;
    return this.props.children;
  }
}
