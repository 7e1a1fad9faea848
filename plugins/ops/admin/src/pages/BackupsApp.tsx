import { Page } from '@strapi/strapi/admin';
import { PERMISSIONS } from '../permissions';
import { BackupsPage } from './BackupsPage';

const BackupsApp = () => (
  <Page.Protect permissions={PERMISSIONS.backups}>
    <BackupsPage />
  </Page.Protect>
);

export { BackupsApp };
export default BackupsApp;
