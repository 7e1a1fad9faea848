import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';
import { PERMISSIONS } from '../permissions';
import { JobsPage } from './JobsPage';

const App = () => (
  <Page.Protect permissions={PERMISSIONS.jobs}>
    <Routes>
      <Route index element={<JobsPage />} />
    </Routes>
  </Page.Protect>
);

export { App };
export default App;
