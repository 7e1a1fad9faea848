/** The demo Ovation ships with: a live event to text DEMO to, an upcoming one, and a past one with its recap. */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export type DemoArtist = {
  slug: string;
  name: string;
  genre: { en: string; es: string };
  bio: { en: string; es: string };
  links: { platform: string; url: string }[];
};

export const artists: DemoArtist[] = [
  {
    slug: 'luna-vega',
    name: 'Luna Vega',
    genre: { en: 'Latin pop', es: 'Pop latino' },
    bio: {
      en: 'Bilingual pop songwriter from San Antonio whose choruses fill arenas.',
      es: 'Compositora de pop bilingüe de San Antonio cuyos coros llenan estadios.',
    },
    links: [{ platform: 'website', url: 'https://example.com/luna-vega' }],
  },
  {
    slug: 'the-midnight-owls',
    name: 'The Midnight Owls',
    genre: { en: 'Indie rock', es: 'Rock independiente' },
    bio: {
      en: 'A four-piece from Portland with fuzzed-out guitars and tender lyrics.',
      es: 'Un cuarteto de Portland con guitarras distorsionadas y letras tiernas.',
    },
    links: [{ platform: 'bandcamp', url: 'https://example.com/midnight-owls' }],
  },
  {
    slug: 'dj-kairo',
    name: 'DJ Kairo',
    genre: { en: 'Electronic', es: 'Electrónica' },
    bio: {
      en: 'Afro-house selector who builds sets that never let the floor cool down.',
      es: 'Selector de afro-house cuyos sets nunca dejan que la pista se enfríe.',
    },
    links: [{ platform: 'spotify', url: 'https://example.com/dj-kairo' }],
  },
  {
    slug: 'sol-y-mar',
    name: 'Sol y Mar',
    genre: { en: 'Cumbia', es: 'Cumbia' },
    bio: {
      en: 'Cumbia revivalists mixing accordion, synths and a brass section.',
      es: 'Renovadores de la cumbia que mezclan acordeón, sintetizadores y metales.',
    },
    links: [{ platform: 'instagram', url: 'https://example.com/sol-y-mar' }],
  },
  {
    slug: 'nova-reyes',
    name: 'Nova Reyes',
    genre: { en: 'R&B', es: 'R&B' },
    bio: {
      en: 'Velvet-voiced R&B singer with a gospel upbringing.',
      es: 'Cantante de R&B de voz aterciopelada, criada en el góspel.',
    },
    links: [{ platform: 'youtube', url: 'https://example.com/nova-reyes' }],
  },
  {
    slug: 'brass-republic',
    name: 'Brass Republic',
    genre: { en: 'Brass band', es: 'Banda de metales' },
    bio: {
      en: 'Twelve horns, two drummers, zero chill: New Orleans second-line energy.',
      es: 'Doce metales, dos bateristas y la energía de las segundas líneas de Nueva Orleans.',
    },
    links: [{ platform: 'website', url: 'https://example.com/brass-republic' }],
  },
  {
    slug: 'echo-canyon',
    name: 'Echo Canyon',
    genre: { en: 'Folk', es: 'Folk' },
    bio: {
      en: 'Harmony-led folk duo recorded live in a desert canyon.',
      es: 'Dúo folk de armonías grabado en vivo en un cañón del desierto.',
    },
    links: [{ platform: 'apple_music', url: 'https://example.com/echo-canyon' }],
  },
  {
    slug: 'static-bloom',
    name: 'Static Bloom',
    genre: { en: 'Synth-pop', es: 'Synth-pop' },
    bio: {
      en: 'Neon synth-pop trio with drum machines older than its members.',
      es: 'Trío de synth-pop neón con cajas de ritmos más viejas que sus integrantes.',
    },
    links: [{ platform: 'tiktok', url: 'https://example.com/static-bloom' }],
  },
];

export type DemoRound = { number: number; title: { en: string; es: string }; state: 'pending' | 'open' | 'closed'; opensIn: number; closesIn: number };

export type DemoEvent = {
  slug: string;
  keyword: string | null;
  title: { en: string; es: string };
  description: { en: string; es: string };
  venue: string;
  city: string;
  timezone: string;
  phase: 'scheduled' | 'live' | 'closed';
  startsIn: number;
  hours: number;
  capacity: number;
  results_visibility: 'public' | 'after_close' | 'private';
  rounds: DemoRound[];
  /** Artist slugs in lineup order; the vote code is the position, from 1. */
  lineup: string[];
  /** Votes per artist slug in round 1, for a past event whose recap shows results. */
  results?: Record<string, number>;
};

export const events: DemoEvent[] = [
  {
    slug: 'summer-showcase',
    keyword: 'DEMO',
    title: { en: 'Ovation Live: Summer Showcase', es: 'Ovation en Vivo: Muestra de Verano' },
    description: {
      en: 'Four acts, one stage, and you pick who plays the encore. Text DEMO to join, then vote each round.',
      es: 'Cuatro artistas, un escenario, y tú eliges quién toca el bis. Envía DEMO para unirte y vota en cada ronda.',
    },
    venue: 'The Fillmore',
    city: 'San Francisco',
    timezone: 'America/Los_Angeles',
    phase: 'live',
    startsIn: -HOUR,
    hours: 4,
    capacity: 5000,
    results_visibility: 'public',
    rounds: [
      { number: 1, title: { en: 'Opening round', es: 'Ronda inaugural' }, state: 'open', opensIn: -0.5 * HOUR, closesIn: 2 * HOUR },
      { number: 2, title: { en: 'Encore vote', es: 'Votación del bis' }, state: 'pending', opensIn: 2.25 * HOUR, closesIn: 3 * HOUR },
    ],
    lineup: ['luna-vega', 'the-midnight-owls', 'dj-kairo', 'sol-y-mar'],
  },
  {
    slug: 'autumn-finals',
    keyword: 'BANDS',
    title: { en: 'Battle of the Bands: Autumn Finals', es: 'Batalla de Bandas: Final de Otoño' },
    description: {
      en: 'The season ends here: four finalists, two rounds, and the crowd decides.',
      es: 'La temporada termina aquí: cuatro finalistas, dos rondas, y el público decide.',
    },
    venue: 'Brooklyn Steel',
    city: 'New York',
    timezone: 'America/New_York',
    phase: 'scheduled',
    startsIn: 14 * DAY,
    hours: 5,
    capacity: 1800,
    results_visibility: 'after_close',
    rounds: [
      { number: 1, title: { en: 'Semifinal', es: 'Semifinal' }, state: 'pending', opensIn: 14 * DAY + HOUR, closesIn: 14 * DAY + 2 * HOUR },
      { number: 2, title: { en: 'Final', es: 'Final' }, state: 'pending', opensIn: 14 * DAY + 3 * HOUR, closesIn: 14 * DAY + 4 * HOUR },
    ],
    lineup: ['nova-reyes', 'brass-republic', 'echo-canyon', 'static-bloom'],
  },
  {
    slug: 'spring-sessions',
    keyword: null,
    title: { en: 'Spring Sessions', es: 'Sesiones de Primavera' },
    description: {
      en: 'Our spring night in Austin, where the crowd crowned a new favourite.',
      es: 'Nuestra noche de primavera en Austin, donde el público coronó a una nueva favorita.',
    },
    venue: 'Stubb’s',
    city: 'Austin',
    timezone: 'America/Chicago',
    phase: 'closed',
    startsIn: -60 * DAY,
    hours: 4,
    capacity: 2200,
    results_visibility: 'public',
    rounds: [{ number: 1, title: { en: 'Crowd favourite', es: 'Favorito del público' }, state: 'closed', opensIn: -60 * DAY + HOUR, closesIn: -60 * DAY + 3 * HOUR }],
    lineup: ['luna-vega', 'nova-reyes', 'static-bloom'],
    results: { 'luna-vega': 41, 'nova-reyes': 37, 'static-bloom': 22 },
  },
];

export type DemoPost = {
  slug: string;
  event: string;
  artists: string[];
  title: { en: string; es: string };
  excerpt: { en: string; es: string };
  paragraphs: { en: string[]; es: string[] };
};

export const posts: DemoPost[] = [
  {
    slug: 'spring-sessions-recap',
    event: 'spring-sessions',
    artists: ['luna-vega', 'nova-reyes', 'static-bloom'],
    title: { en: 'Spring Sessions recap: Luna Vega takes the crown', es: 'Resumen de Sesiones de Primavera: Luna Vega se lleva la corona' },
    excerpt: {
      en: 'Over two thousand votes, one photo finish, and an encore nobody will forget.',
      es: 'Más de dos mil votos, un final de infarto y un bis que nadie olvidará.',
    },
    paragraphs: {
      en: [
        'Austin showed up. Three acts played Spring Sessions, and the crowd voted by text all night long.',
        'Luna Vega edged out Nova Reyes in the final minutes of the round and closed the night with an encore.',
      ],
      es: [
        'Austin respondió. Tres artistas tocaron en Sesiones de Primavera y el público votó por SMS toda la noche.',
        'Luna Vega superó a Nova Reyes en los últimos minutos de la ronda y cerró la noche con un bis.',
      ],
    },
  },
  {
    slug: 'summer-showcase-lineup',
    event: 'summer-showcase',
    artists: ['luna-vega', 'the-midnight-owls', 'dj-kairo', 'sol-y-mar'],
    title: { en: 'Meet the Summer Showcase lineup', es: 'Conoce a los artistas de la Muestra de Verano' },
    excerpt: {
      en: 'Four acts, four sounds: here is who you can vote for tonight.',
      es: 'Cuatro artistas, cuatro sonidos: estos son por quienes puedes votar esta noche.',
    },
    paragraphs: {
      en: [
        'Text DEMO to join the Summer Showcase, then text the number of your favourite act to vote.',
        'Luna Vega, The Midnight Owls, DJ Kairo and Sol y Mar each play a short set before the round closes.',
      ],
      es: [
        'Envía DEMO para unirte a la Muestra de Verano y luego el número de tu artista favorito para votar.',
        'Luna Vega, The Midnight Owls, DJ Kairo y Sol y Mar tocan un set corto antes de que cierre la ronda.',
      ],
    },
  },
];
