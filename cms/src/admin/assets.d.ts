/** The admin is bundled by Vite: an imported image is its URL. */
declare module '*.svg' {
  const url: string;
  export default url;
}
