// "/": where each person starts: users send, admins too, the platform's people see tenants.
import { useEffect } from 'preact/hooks';
import { navigate } from '../router.js';
import { hasModule, isPlatform, me, site } from '../session.js';
import { Spinner } from '../ui.jsx';

export default function Home() {
  useEffect(() => {
    const user = me.get();
    const s = site.get();
    let to = '/login';
    if (user && s.kind === 'platform') to = isPlatform(user) ? '/tenants' : '/account';
    else if (user) to = hasModule(user, 'wesend') ? '/send' : user.role === 'tenant_admin' ? '/admin/users' : '/account';
    navigate(to, { replace: true });
  }, []);
  return <Spinner />;
}
