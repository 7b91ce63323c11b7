// What every step's buttons share: one call at a time, its failure shown in Russian, the view it
// answers with handed to the app.
import type { WizardView } from '../../bindings/WizardView';
import { shown, type Shown } from '../errors';

export class StepAction {
  busy = $state(false);
  error: Shown | null = $state(null);

  constructor(private readonly onview: () => (view: WizardView) => void) {}

  async run(action: () => Promise<WizardView>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      this.onview()(await action());
    } catch (e) {
      this.error = shown(e);
    } finally {
      this.busy = false;
    }
  }
}
