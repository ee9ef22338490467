/** The public contract of the Sentinel sidebar: the ids of its commands. */

/** Ids of the sidebar commands. */
export namespace CommandIDs {
  /** Shows the Sentinel sidebar (the status bar's workspace item runs it). */
  export const openSidebar = 'sentinel:open-sidebar';
}
