import { useId } from 'react';
import { isServiceName, TraceProtoSchema, type TraceProto } from '@hoplens/model';
import Value from 'typebox/value';
import type { PathTarget } from '../routing/urlState.ts';

interface Props {
  readonly target: PathTarget;
  readonly onChange: (target: PathTarget) => void;
}

const PROTOS: readonly TraceProto[] = ['icmp', 'tcp', 'udp'];

/**
 * What the path carries: ICMP echo (ping), or a TCP connect or UDP request to a port. A Service
 * destination fixes both (kube-proxy rewrites only its own protocol and port), so they are shown, not asked.
 */
export function FlowChoice({ target, onChange }: Props) {
  const id = useId();
  const fixed = isServiceName(target.to);
  return (
    <div className="flow-choice">
      <label htmlFor={`${id}-proto`}>carrying</label>{' '}
      <select
        id={`${id}-proto`}
        data-testid="trace-proto"
        value={target.proto}
        disabled={fixed}
        onChange={(e) => {
          const proto = e.target.value;
          if (Value.Check(TraceProtoSchema, proto))
            onChange({ ...target, proto, port: proto === 'icmp' ? undefined : target.port });
        }}
      >
        {PROTOS.map((p) => (
          <option key={p} value={p}>
            {p === 'icmp' ? 'ping (icmp)' : p}
          </option>
        ))}
      </select>
      {target.proto !== 'icmp' && (
        <>
          {' '}
          <label htmlFor={`${id}-port`}>port</label>{' '}
          <input
            id={`${id}-port`}
            data-testid="trace-port"
            type="number"
            min={1}
            max={65535}
            // Keyed on the port, so a new destination's port replaces what was typed.
            key={target.port ?? 'none'}
            defaultValue={target.port ?? ''}
            disabled={fixed}
            placeholder="port"
            onBlur={(e) => {
              const port = Number(e.target.value);
              if (Number.isInteger(port) && port >= 1 && port <= 65535 && port !== target.port)
                onChange({ ...target, port });
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') e.currentTarget.blur();
            }}
          />
        </>
      )}
    </div>
  );
}
