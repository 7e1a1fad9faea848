import type { APIRoute } from 'astro';
import { shareCardResponse } from '../../../../../lib/share-card';

export const GET: APIRoute = ({ params }) => shareCardResponse('es', params.slug);
