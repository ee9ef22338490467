import { LabIcon } from '@jupyterlab/ui-components';

const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16">
  <path class="jp-icon3" fill="#616161" d="M12 2 4 5v6c0 5 3.4 9.7 8 11 4.6-1.3 8-6 8-11V5l-8-3zm0 2.2 6 2.2V11c0 3.9-2.5 7.6-6 8.9-3.5-1.3-6-5-6-8.9V6.4l6-2.2z"/>
  <path class="jp-icon3" fill="#616161" d="M11 7.5a3.5 3.5 0 1 0 2 6.4l2.3 2.3 1.1-1.1-2.3-2.3A3.5 3.5 0 0 0 11 7.5zm0 1.6a1.9 1.9 0 1 1 0 3.8 1.9 1.9 0 0 1 0-3.8z"/>
</svg>`;

/** The Sentinel sidebar's icon: a shield with a magnifier. */
export const sentinelIcon = new LabIcon({
  name: 'jupyterlab-sentinel:sentinel',
  svgstr: svg
});
