import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'shotclock:public-route';

/** Exempts a /v1/ route (or controller) from admin auth: Pub/Sub push endpoints authenticate otherwise. */
export const PublicRoute = () => SetMetadata(PUBLIC_ROUTE, true);
