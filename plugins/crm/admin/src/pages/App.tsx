import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';
import { PERMISSIONS } from '../permissions';
import { CampaignPage } from './CampaignPage';
import { MarketingPage } from './MarketingPage';

const App = () => (
  <Page.Protect permissions={PERMISSIONS.read}>
    <Routes>
      <Route index element={<MarketingPage />} />
      <Route path="campaigns/:id" element={<CampaignPage />} />
    </Routes>
  </Page.Protect>
);

export { App };
export default App;
