// Which backend calls are waiting for the CA right now. The app shows «Отменить» once one has
// waited a moment; the backend bounds every action by its deadline anyway.
import { untrack } from 'svelte';

/** Commands that never wait for the CA (local work only). */
export const LOCAL_COMMANDS: ReadonlySet<string> = new Set([
  'app_info',
  'check_requisites',
  'save_draft',
  'sensor_events',
  'pending_files',
  'file_preview',
  'discard_file',
  'choose_files',
  'list_tokens',
  'install_target',
  'cancel_action',
  'logout',
]);

class Activity {
  /** Calls to the CA in flight. */
  waiting = $state(0);

  // Calls start inside effects too; counting them must not make those effects depend on the
  // count (they would run again whenever a call ends).
  begin(command: string): () => void {
    if (LOCAL_COMMANDS.has(command)) return () => {};
    untrack(() => (this.waiting += 1));
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      untrack(() => (this.waiting -= 1));
    };
  }
}

export const activity = new Activity();
