import { DisposableDelegate, type IDisposable } from '@lumino/disposable';
import { Signal, type ISignal } from '@lumino/signaling';
import type { IInvestigationViewFactory, IInvestigationViews } from './tokens';

/** The kinds of investigation views, in the order their plugins added them. */
export class InvestigationViews implements IInvestigationViews {
  get factories(): readonly IInvestigationViewFactory[] {
    return this._factories;
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  add(factory: IInvestigationViewFactory): IDisposable {
    const at = this._factories.findIndex(f => f.id === factory.id);
    if (at >= 0) {
      this._factories[at] = factory;
    } else {
      this._factories.push(factory);
    }
    this._changed.emit();
    return new DisposableDelegate(() => {
      const index = this._factories.indexOf(factory);
      if (index >= 0) {
        this._factories.splice(index, 1);
        this._changed.emit();
      }
    });
  }

  get(id: string): IInvestigationViewFactory | null {
    return this._factories.find(f => f.id === id) ?? null;
  }

  private readonly _factories: IInvestigationViewFactory[] = [];
  private readonly _changed = new Signal<this, void>(this);
}
