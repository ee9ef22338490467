import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { ISettingRegistry } from '@jupyterlab/settingregistry';

/**
 * Once JupyterLab's shell is restored, loads a plugin's settings and applies them, then again on
 * every change; `fallback` runs when they cannot be loaded. Waiting for the shell keeps the
 * plugin's requests out of JupyterLab's own start, where nothing needs them.
 */
export function followSettingsWhenRestored(
  app: JupyterFrontEnd,
  registry: ISettingRegistry,
  pluginId: string,
  apply: (settings: ISettingRegistry.ISettings) => Promise<void>,
  fallback: () => void
): void {
  void app.restored
    .then(() => registry.load(pluginId))
    .then(
      settings => {
        settings.changed.connect(() => void apply(settings));
        void apply(settings);
      },
      error => {
        console.error(
          `jupyterlab-sentinel: the settings of ${pluginId} could not be loaded`,
          error
        );
        fallback();
      }
    );
}
