import { Page } from '@strapi/strapi/admin';
import { PERMISSIONS } from '../permissions';
import { TokensPage } from './TokensPage';

const TokensApp = () => (
  <Page.Protect permissions={PERMISSIONS.tokens}>
    <TokensPage />
  </Page.Protect>
);

export { TokensApp };
export default TokensApp;
