type FetchFailure = { status?: number; message: string; response?: { status?: number; data?: { error?: { message?: string } } } };

/** What a failed admin request says, in Strapi's error shape, or the failure's own message. */
export const messageOf = (error: unknown) => (error as FetchFailure).response?.data?.error?.message ?? (error as FetchFailure).message;

/** The HTTP status of a failed admin request. */
export const statusOf = (error: unknown) => (error as FetchFailure).status ?? (error as FetchFailure).response?.status;
