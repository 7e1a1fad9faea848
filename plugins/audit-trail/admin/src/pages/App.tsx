import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';
import { PERMISSIONS } from '../permissions';
import { AuditTrailPage } from './AuditTrailPage';

const App = () => (
  <Page.Protect permissions={PERMISSIONS.read}>
    <Routes>
      <Route index element={<AuditTrailPage />} />
    </Routes>
  </Page.Protect>
);

export { App };
export default App;
