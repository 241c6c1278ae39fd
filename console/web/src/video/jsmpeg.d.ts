/** The parts of the JSMpeg player the live view uses (the package ships no types). */
declare module '@cycjimmy/jsmpeg-player' {
  interface PlayerOptions {
    canvas: HTMLCanvasElement;
    source?: unknown;
    audio?: boolean;
    autoplay?: boolean;
    loop?: boolean;
    disableGl?: boolean;
    preserveDrawingBuffer?: boolean;
    videoBufferSize?: number;
    onVideoDecode?: () => void;
    /** Passed through to the source (ours reports why its stream ended). */
    onStreamEnd?: (why: string) => void;
  }
  interface Player {
    destroy(): void;
  }
  const JSMpeg: {
    Player: new (url: string, options: PlayerOptions) => Player;
    Source: { Fetch: unknown; WebSocket: unknown };
  };
  export default JSMpeg;
}
