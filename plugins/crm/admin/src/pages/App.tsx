import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';
import { PERMISSIONS } from '../permissions';
import { MarketingPage } from './MarketingPage';

const App = () => (
  <Page.Protect permissions={PERMISSIONS.read}>
    <Routes>
      <Route index element={<MarketingPage />} />
    </Routes>
  </Page.Protect>
);

export { App };
export default App;
