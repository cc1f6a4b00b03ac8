// The page components, loaded when first opened (admin and reseller code, and the charts, stay
// out of the public pages' download). `access`: who may open the page:
//   public   anyone (link pages, login)
//   user     a logged-in user of this organisation
//   admin    a tenant admin
//   platform an operator or reseller admin, on the platform host
//   operator an operator
export const views = {
  home: { access: 'public', load: () => import('./portal/Home.jsx') },
  login: { access: 'public', load: () => import('./public/Login.jsx') },
  forgotPassword: { access: 'public', load: () => import('./public/ForgotPassword.jsx') },
  resetPassword: { access: 'public', load: () => import('./public/SetPassword.jsx') },
  invitation: { access: 'public', load: () => import('./public/SetPassword.jsx') },
  signupConfirm: { access: 'public', load: () => import('./public/SignupConfirm.jsx') },
  publicDownload: { access: 'public', load: () => import('./public/Download.jsx') },
  publicDeposit: { access: 'public', load: () => import('./public/Deposit.jsx') },
  account: { access: 'any-user', load: () => import('./portal/Account.jsx') },
  send: { access: 'user', load: () => import('./portal/Send.jsx') },
  sent: { access: 'user', load: () => import('./portal/Sent.jsx') },
  sentDetail: { access: 'user', load: () => import('./portal/SentDetail.jsx') },
  requests: { access: 'user', load: () => import('./portal/Requests.jsx') },
  requestDetail: { access: 'user', load: () => import('./portal/RequestDetail.jsx') },
  received: { access: 'user', load: () => import('./portal/Received.jsx') },
  adminHome: { access: 'admin', load: () => import('./admin/Users.jsx') },
  adminUsers: { access: 'admin', load: () => import('./admin/Users.jsx') },
  adminProfiles: { access: 'admin', load: () => import('./admin/Profiles.jsx') },
  adminModules: { access: 'admin', load: () => import('./admin/Modules.jsx') },
  adminJournal: { access: 'admin', load: () => import('./admin/Journal.jsx') },
  adminStats: { access: 'admin', load: () => import('./admin/Stats.jsx') },
  adminSettings: { access: 'admin', load: () => import('./admin/Settings.jsx') },
  tenants: { access: 'platform', load: () => import('./reseller/Tenants.jsx') },
  tenantDetail: { access: 'platform', load: () => import('./reseller/TenantDetail.jsx') },
  resellers: { access: 'operator', load: () => import('./reseller/Resellers.jsx') },
};
