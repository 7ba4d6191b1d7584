import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { onTokenShared } from '../api/token.ts';

/** When another tab hands this one the API token, everything refused for want of it is asked again. */
export function useSharedToken(): void {
  const client = useQueryClient();
  useEffect(() => onTokenShared(() => void client.invalidateQueries()), [client]);
}
