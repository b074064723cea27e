import { useEffect, useState } from 'preact/hooks';
import { api, type Principal, type StoredRecord } from '../api';
import { ListAndEditor, useLiveRecords } from '../common/list-and-editor';
import { PersonalityEditor } from './personality-editor';

/** The personalities screen: the list beside the editor of the selected one (or a new one); kept live by events. */
export function PersonalitiesScreen({ principal }: { principal: Principal }) {
  const live = useLiveRecords('personalities', 'personality');
  const [roles, setRoles] = useState<StoredRecord[]>([]);
  const canWrite = principal.access !== 'viewer';

  useEffect(() => {
    api<StoredRecord[]>('/roles').then(setRoles, () => setRoles([]));
  }, []);

  return (
    <ListAndEditor live={live} title="Personalities" singular="personality" canWrite={canWrite}>
      <PersonalityEditor key={live.selected ?? 'new'} record={live.record} canWrite={canWrite} roles={roles} onSaved={live.saved} />
    </ListAndEditor>
  );
}
