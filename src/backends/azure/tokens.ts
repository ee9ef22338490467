/** The public contract of the Azure backend: the ids of its commands. */

/** Ids of the Azure commands. */
export namespace CommandIDs {
  /** Signs in with Microsoft Entra ID (the workspaces' sign-in action runs it). */
  export const signIn = 'sentinel:azure-sign-in';
  /** Forgets the Azure account and its tokens in this browser. */
  export const signOut = 'sentinel:azure-sign-out';
  /** Shows the redirect URI to register in the app registration. */
  export const setUpSignIn = 'sentinel:azure-set-up-sign-in';
}
