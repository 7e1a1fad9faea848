import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';
import { PERMISSIONS } from '../permissions';
import { EventPage } from './EventPage';
import { EventsPage } from './EventsPage';
import { WizardPage } from './WizardPage';

const App = () => (
  <Page.Protect permissions={PERMISSIONS.manage}>
    <Routes>
      <Route index element={<EventsPage />} />
      <Route path="new" element={<WizardPage />} />
      <Route path=":documentId" element={<EventPage />} />
      <Route path=":documentId/edit" element={<WizardPage />} />
    </Routes>
  </Page.Protect>
);

export { App };
export default App;
