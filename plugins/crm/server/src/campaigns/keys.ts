/** The outbox topic of a campaign's messages, and each fan's message key (so no fan is queued twice). */
export const campaignTopic = (id: number) => `campaign:${id}`;
export const campaignMessageKey = (id: number, fanRef: string) => `campaign:${id}:${fanRef}`;
export const CAMPAIGN_PURPOSE = 'campaign';
