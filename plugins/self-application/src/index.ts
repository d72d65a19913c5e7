export * from './self-application-experiment';
export { default as selfApplicationModule } from './self-application-module';
