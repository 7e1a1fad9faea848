import { Page } from '@strapi/strapi/admin';
import { PERMISSIONS } from '../permissions';
import { FansPage } from './FansPage';

const FansApp = () => (
  <Page.Protect permissions={PERMISSIONS.read}>
    <FansPage />
  </Page.Protect>
);

export { FansApp };
export default FansApp;
