export function App() {
  return <main class="shell"><h1>duet</h1></main>;
}
