// Svelte 5 with runes everywhere; TypeScript in components is handled natively.
export default {
  compilerOptions: {
    runes: true,
  },
};
